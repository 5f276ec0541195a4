"""idea tallies and indexes of shown ideas: totals and pages that cost the same whatever the number of ideas

Revision ID: 5d2c8e4f1a60
Revises: 5d2c8e41a7b3
Create Date: 2026-12-07 06:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5d2c8e4f1a60'
down_revision = '5d2c8e41a7b3'
branch_labels = None
depends_on = None

# Frozen from app/ideas/tallies.py as it was when this migration was written.
SHOWN = 'withdrawn_at IS NULL AND held_at IS NULL AND hidden_at IS NULL'
REBUILD = "INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), count(*) FROM submissions s WHERE s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = s.author_id AND users.blocked_at IS NOT NULL) GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL)"
SQLITE_DDL = (
    "CREATE TRIGGER IF NOT EXISTS idea_tallies_insert AFTER INSERT ON submissions WHEN NEW.kind = 'idea' BEGIN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT NEW.district_id, coalesce(NEW.effort_area_id, 0), NEW.status, (NEW.location_lat IS NOT NULL AND NEW.location_lon IS NOT NULL), 1 WHERE NEW.kind = 'idea' AND NEW.withdrawn_at IS NULL AND NEW.held_at IS NULL AND NEW.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = NEW.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END",
    "CREATE TRIGGER IF NOT EXISTS idea_tallies_delete AFTER DELETE ON submissions WHEN OLD.kind = 'idea' BEGIN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT OLD.district_id, coalesce(OLD.effort_area_id, 0), OLD.status, (OLD.location_lat IS NOT NULL AND OLD.location_lon IS NOT NULL), -1 WHERE OLD.kind = 'idea' AND OLD.withdrawn_at IS NULL AND OLD.held_at IS NULL AND OLD.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = OLD.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END",
    "CREATE TRIGGER IF NOT EXISTS idea_tallies_update AFTER UPDATE OF kind, district_id, effort_area_id, status, withdrawn_at, held_at, hidden_at, author_id, location_lat, location_lon ON submissions WHEN OLD.kind = 'idea' OR NEW.kind = 'idea' BEGIN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT OLD.district_id, coalesce(OLD.effort_area_id, 0), OLD.status, (OLD.location_lat IS NOT NULL AND OLD.location_lon IS NOT NULL), -1 WHERE OLD.kind = 'idea' AND OLD.withdrawn_at IS NULL AND OLD.held_at IS NULL AND OLD.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = OLD.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT NEW.district_id, coalesce(NEW.effort_area_id, 0), NEW.status, (NEW.location_lat IS NOT NULL AND NEW.location_lon IS NOT NULL), 1 WHERE NEW.kind = 'idea' AND NEW.withdrawn_at IS NULL AND NEW.held_at IS NULL AND NEW.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = NEW.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END",
    "CREATE TRIGGER IF NOT EXISTS idea_tallies_block AFTER UPDATE OF blocked_at ON users WHEN (OLD.blocked_at IS NULL) <> (NEW.blocked_at IS NULL) BEGIN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), (CASE WHEN NEW.blocked_at IS NULL THEN 1 ELSE -1 END) * count(*) FROM submissions s WHERE s.author_id = NEW.id AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END",
    "CREATE TRIGGER IF NOT EXISTS idea_tallies_erase BEFORE DELETE ON users WHEN OLD.blocked_at IS NOT NULL BEGIN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), (1) * count(*) FROM submissions s WHERE s.author_id = OLD.id AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END",
)
POSTGRESQL_DDL = (
    "CREATE OR REPLACE FUNCTION idea_tallies_on_submission() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'INSERT' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT OLD.district_id, coalesce(OLD.effort_area_id, 0), OLD.status, (OLD.location_lat IS NOT NULL AND OLD.location_lon IS NOT NULL), -1 WHERE OLD.kind = 'idea' AND OLD.withdrawn_at IS NULL AND OLD.held_at IS NULL AND OLD.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = OLD.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END IF; IF TG_OP <> 'DELETE' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT NEW.district_id, coalesce(NEW.effort_area_id, 0), NEW.status, (NEW.location_lat IS NOT NULL AND NEW.location_lon IS NOT NULL), 1 WHERE NEW.kind = 'idea' AND NEW.withdrawn_at IS NULL AND NEW.held_at IS NULL AND NEW.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = NEW.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END IF; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION idea_tallies_on_author() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), (1) * count(*) FROM submissions s WHERE s.author_id = OLD.id AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; RETURN OLD; END IF; INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), (CASE WHEN NEW.blocked_at IS NULL THEN 1 ELSE -1 END) * count(*) FROM submissions s WHERE s.author_id = NEW.id AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; RETURN NULL; END $$",
    'DROP TRIGGER IF EXISTS idea_tallies_submissions ON submissions',
    'CREATE TRIGGER idea_tallies_submissions AFTER INSERT OR DELETE OR UPDATE OF kind, district_id, effort_area_id, status, withdrawn_at, held_at, hidden_at, author_id, location_lat, location_lon ON submissions FOR EACH ROW EXECUTE FUNCTION idea_tallies_on_submission()',
    'DROP TRIGGER IF EXISTS idea_tallies_block ON users',
    'CREATE TRIGGER idea_tallies_block AFTER UPDATE OF blocked_at ON users FOR EACH ROW WHEN ((OLD.blocked_at IS NULL) <> (NEW.blocked_at IS NULL)) EXECUTE FUNCTION idea_tallies_on_author()',
    'DROP TRIGGER IF EXISTS idea_tallies_erase ON users',
    'CREATE TRIGGER idea_tallies_erase BEFORE DELETE ON users FOR EACH ROW WHEN (OLD.blocked_at IS NOT NULL) EXECUTE FUNCTION idea_tallies_on_author()',
)
SHOWN_INDEXES = [('newest', ['kind', 'created_at', 'id']), ('district', ['kind', 'district_id', 'created_at', 'id']), ('area', ['kind', 'effort_area_id', 'created_at', 'id']), ('status', ['kind', 'status', 'created_at', 'id']), ('area_news', ['kind', 'effort_area_id', 'updated_at', 'id']), ('status_news', ['kind', 'status', 'updated_at', 'id'])]


def upgrade():
    op.create_table('idea_tallies',
    sa.Column('district_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('effort_area_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('placed', sa.Boolean(), nullable=False),
    sa.Column('ideas', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('district_id', 'effort_area_id', 'status', 'placed', name=op.f('pk_idea_tallies'))
    )
    op.create_index('ix_idea_tallies_status', 'idea_tallies', ['status', 'effort_area_id'], unique=False)
    op.execute(REBUILD)
    for statement in SQLITE_DDL if op.get_bind().dialect.name == 'sqlite' else POSTGRESQL_DDL:
        op.execute(statement)
    for name, columns in SHOWN_INDEXES:
        op.create_index(f'ix_submissions_shown_ideas_{name}', 'submissions', columns, unique=False,
                        sqlite_where=sa.text(SHOWN), postgresql_where=sa.text(SHOWN))
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideas_support_count'))
        batch_op.create_index('ix_ideas_supported', ['support_count', 'id'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ANALYZE')   # so SQLite weighs the new indexes by what they hold


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_supported')
        batch_op.create_index(batch_op.f('ix_ideas_support_count'), ['support_count'], unique=False)
    for name, _columns in SHOWN_INDEXES:
        op.drop_index(f'ix_submissions_shown_ideas_{name}', table_name='submissions')
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('idea_tallies_insert', 'idea_tallies_delete', 'idea_tallies_update', 'idea_tallies_block',
                        'idea_tallies_erase'):
            op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    else:
        op.execute('DROP TRIGGER IF EXISTS idea_tallies_submissions ON submissions')
        op.execute('DROP TRIGGER IF EXISTS idea_tallies_block ON users')
        op.execute('DROP TRIGGER IF EXISTS idea_tallies_erase ON users')
        op.execute('DROP FUNCTION IF EXISTS idea_tallies_on_submission()')
        op.execute('DROP FUNCTION IF EXISTS idea_tallies_on_author()')
    op.drop_index('ix_idea_tallies_status', table_name='idea_tallies')
    op.drop_table('idea_tallies')
