"""month of each support

Revision ID: 2794ecd3c3b7
Revises: 12f667abc4b7
Create Date: 2026-11-26 13:59:52.970553

"""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

OSLO = ZoneInfo("Europe/Oslo")


# revision identifiers, used by Alembic.
revision = '2794ecd3c3b7'
down_revision = '12f667abc4b7'
branch_labels = None
depends_on = None


def _in_oslo(moment: datetime) -> datetime:
    # SQLite gives naive UTC back, PostgreSQL an aware time.
    return (moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("UTC"))).astimezone(OSLO)


def _month_starts(first: datetime, last: datetime):
    """Europe/Oslo month starts from the month of ``first`` to the one after ``last``."""
    local = _in_oslo(first)
    start = datetime(local.year, local.month, 1, tzinfo=OSLO)
    while start <= _in_oslo(last):
        following = (start + timedelta(days=32)).replace(day=1)
        yield start, following
        start = following


def upgrade():
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_month', sa.String(length=7), nullable=True))

    # Existing supports get the Oslo month of when they were given: one UPDATE per month.
    bind = op.get_bind()
    supports = sa.table("supports", sa.column("created_at", sa.DateTime()), sa.column("created_month", sa.String))
    first, last = bind.execute(sa.select(sa.func.min(supports.c.created_at), sa.func.max(supports.c.created_at))).one()
    if first is not None:
        sqlite = bind.dialect.name == "sqlite"
        for start, end in _month_starts(first, last):
            lower, upper = (moment.astimezone(ZoneInfo("UTC")) for moment in (start, end))
            if sqlite:
                lower, upper = lower.replace(tzinfo=None), upper.replace(tzinfo=None)
            bind.execute(supports.update()
                         .where(supports.c.created_at >= lower, supports.c.created_at < upper)
                         .values(created_month=start.strftime("%Y-%m")))

    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.alter_column('created_month', existing_type=sa.String(length=7), nullable=False)
        batch_op.create_index(batch_op.f('ix_supports_created_month'), ['created_month'], unique=False)


def downgrade():
    with op.batch_alter_table('supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supports_created_month'))
        batch_op.drop_column('created_month')
