"""idea tallies on PostgreSQL: a change of an idea and a block of its author take turns on the author's row

Revision ID: 7c3e5a9d2f18
Revises: b4e2d1c9a7f3
Create Date: 2026-12-07 06:50:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c3e5a9d2f18'
down_revision = 'b4e2d1c9a7f3'
branch_labels = None
depends_on = None

# Frozen from app/ideas/tallies.py as it was when this migration was written. SQLite lets one writer at a
# time and keeps its triggers; on PostgreSQL a BEFORE trigger locks the author's row (FOR SHARE) and the
# functions are replaced, then the tallies are counted again (a concurrent block may have left them off).
POSTGRESQL_DDL = (
    "CREATE OR REPLACE FUNCTION idea_tallies_lock_author() RETURNS trigger LANGUAGE plpgsql AS $$ DECLARE before_author integer; after_author integer; BEGIN IF TG_OP <> 'INSERT' THEN IF OLD.kind = 'idea' AND OLD.withdrawn_at IS NULL AND OLD.held_at IS NULL AND OLD.hidden_at IS NULL THEN before_author := OLD.author_id; END IF; END IF; IF TG_OP <> 'DELETE' THEN IF NEW.kind = 'idea' AND NEW.withdrawn_at IS NULL AND NEW.held_at IS NULL AND NEW.hidden_at IS NULL THEN after_author := NEW.author_id; END IF; END IF; IF before_author IS NOT NULL OR after_author IS NOT NULL THEN PERFORM 1 FROM users WHERE id IN (before_author, after_author) ORDER BY id FOR SHARE; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
    "CREATE OR REPLACE FUNCTION idea_tallies_on_submission() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'INSERT' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT OLD.district_id, coalesce(OLD.effort_area_id, 0), OLD.status, (OLD.location_lat IS NOT NULL AND OLD.location_lon IS NOT NULL), -1 WHERE OLD.kind = 'idea' AND OLD.withdrawn_at IS NULL AND OLD.held_at IS NULL AND OLD.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = OLD.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END IF; IF TG_OP <> 'DELETE' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT NEW.district_id, coalesce(NEW.effort_area_id, 0), NEW.status, (NEW.location_lat IS NOT NULL AND NEW.location_lon IS NOT NULL), 1 WHERE NEW.kind = 'idea' AND NEW.withdrawn_at IS NULL AND NEW.held_at IS NULL AND NEW.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = NEW.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END IF; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION idea_tallies_on_author() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), (1) * count(*) FROM submissions s WHERE s.author_id = OLD.id AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ORDER BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; RETURN OLD; END IF; INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), (CASE WHEN NEW.blocked_at IS NULL THEN 1 ELSE -1 END) * count(*) FROM submissions s WHERE s.author_id = NEW.id AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ORDER BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; RETURN NULL; END $$",
    'DROP TRIGGER IF EXISTS idea_tallies_lock ON submissions',
    'CREATE TRIGGER idea_tallies_lock BEFORE INSERT OR DELETE OR UPDATE OF kind, district_id, effort_area_id, status, withdrawn_at, held_at, hidden_at, author_id, location_lat, location_lon ON submissions FOR EACH ROW EXECUTE FUNCTION idea_tallies_lock_author()',
    'DROP TRIGGER IF EXISTS idea_tallies_submissions ON submissions',
    'CREATE TRIGGER idea_tallies_submissions AFTER INSERT OR DELETE OR UPDATE OF kind, district_id, effort_area_id, status, withdrawn_at, held_at, hidden_at, author_id, location_lat, location_lon ON submissions FOR EACH ROW EXECUTE FUNCTION idea_tallies_on_submission()',
    'DROP TRIGGER IF EXISTS idea_tallies_block ON users',
    'CREATE TRIGGER idea_tallies_block AFTER UPDATE OF blocked_at ON users FOR EACH ROW WHEN ((OLD.blocked_at IS NULL) <> (NEW.blocked_at IS NULL)) EXECUTE FUNCTION idea_tallies_on_author()',
    'DROP TRIGGER IF EXISTS idea_tallies_erase ON users',
    'CREATE TRIGGER idea_tallies_erase BEFORE DELETE ON users FOR EACH ROW WHEN (OLD.blocked_at IS NOT NULL) EXECUTE FUNCTION idea_tallies_on_author()',
)
PREVIOUS_POSTGRESQL_DDL = (
    "CREATE OR REPLACE FUNCTION idea_tallies_on_submission() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'INSERT' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT OLD.district_id, coalesce(OLD.effort_area_id, 0), OLD.status, (OLD.location_lat IS NOT NULL AND OLD.location_lon IS NOT NULL), -1 WHERE OLD.kind = 'idea' AND OLD.withdrawn_at IS NULL AND OLD.held_at IS NULL AND OLD.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = OLD.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END IF; IF TG_OP <> 'DELETE' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT NEW.district_id, coalesce(NEW.effort_area_id, 0), NEW.status, (NEW.location_lat IS NOT NULL AND NEW.location_lon IS NOT NULL), 1 WHERE NEW.kind = 'idea' AND NEW.withdrawn_at IS NULL AND NEW.held_at IS NULL AND NEW.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = NEW.author_id AND users.blocked_at IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; END IF; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION idea_tallies_on_author() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' THEN INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), (1) * count(*) FROM submissions s WHERE s.author_id = OLD.id AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; RETURN OLD; END IF; INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), (CASE WHEN NEW.blocked_at IS NULL THEN 1 ELSE -1 END) * count(*) FROM submissions s WHERE s.author_id = NEW.id AND s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL) ON CONFLICT (district_id, effort_area_id, status, placed) DO UPDATE SET ideas = idea_tallies.ideas + excluded.ideas; RETURN NULL; END $$",
    'DROP TRIGGER IF EXISTS idea_tallies_submissions ON submissions',
    'CREATE TRIGGER idea_tallies_submissions AFTER INSERT OR DELETE OR UPDATE OF kind, district_id, effort_area_id, status, withdrawn_at, held_at, hidden_at, author_id, location_lat, location_lon ON submissions FOR EACH ROW EXECUTE FUNCTION idea_tallies_on_submission()',
    'DROP TRIGGER IF EXISTS idea_tallies_block ON users',
    'CREATE TRIGGER idea_tallies_block AFTER UPDATE OF blocked_at ON users FOR EACH ROW WHEN ((OLD.blocked_at IS NULL) <> (NEW.blocked_at IS NULL)) EXECUTE FUNCTION idea_tallies_on_author()',
    'DROP TRIGGER IF EXISTS idea_tallies_erase ON users',
    'CREATE TRIGGER idea_tallies_erase BEFORE DELETE ON users FOR EACH ROW WHEN (OLD.blocked_at IS NOT NULL) EXECUTE FUNCTION idea_tallies_on_author()',
)
RECOUNT = "INSERT INTO idea_tallies (district_id, effort_area_id, status, placed, ideas) SELECT s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL), count(*) FROM submissions s WHERE s.kind = 'idea' AND s.withdrawn_at IS NULL AND s.held_at IS NULL AND s.hidden_at IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE users.id = s.author_id AND users.blocked_at IS NOT NULL) GROUP BY s.district_id, coalesce(s.effort_area_id, 0), s.status, (s.location_lat IS NOT NULL AND s.location_lon IS NOT NULL)"


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for statement in POSTGRESQL_DDL:
        op.execute(statement)
    op.execute('LOCK TABLE idea_tallies IN EXCLUSIVE MODE')
    op.execute('DELETE FROM idea_tallies')
    op.execute(RECOUNT)


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP TRIGGER IF EXISTS idea_tallies_lock ON submissions')
    op.execute('DROP FUNCTION IF EXISTS idea_tallies_lock_author()')
    for statement in PREVIOUS_POSTGRESQL_DDL:
        op.execute(statement)
