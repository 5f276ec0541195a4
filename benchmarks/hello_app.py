"""The bare Flask app the load benchmark compares Medvirk with: one route that answers "hello".

    gunicorn --chdir benchmarks hello_app:app
"""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "hello"
