"""Extensions, created unbound and initialised in ``create_app``."""
from __future__ import annotations

from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.core.catalogues import FallbackBabel
from app.core.clients import client_key
from app.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = FallbackBabel()   # a message missing from a catalogue is shown in Bokmål
limiter = Limiter(key_func=client_key, default_limits=[])
