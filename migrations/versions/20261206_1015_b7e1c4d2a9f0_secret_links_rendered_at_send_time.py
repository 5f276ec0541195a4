"""secret links rendered at send time: outbox links, users.link_key and invitation_nonce, old links removed

Revision ID: b7e1c4d2a9f0
Revises: 3c7e1a9b5d20
Create Date: 2026-12-06 10:15:00

"""
import re
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e1c4d2a9f0'
down_revision = '3c7e1a9b5d20'
branch_labels = None
depends_on = None

# The pages a mailed token opens. A token already in a stored mail is cut out: from now on the outbox
# keeps a marker and the token is made when the mail is sent (app/core/secret_links.py).
TOKEN_LINK = re.compile(r"(/account/(?:verify|reset|invitation|email/confirm|unsubscribe)/|/registrations/|/follows/"
                        r"|/organisations/invitations/)"
                        r"(?!\(secret-link-)[^\s/>]+")
REMOVED = r"\1(secret-link-removed)"

users = sa.table('users', sa.column('id', sa.Integer), sa.column('link_key', sa.String))
outbox = sa.table('outbox_messages', sa.column('id', sa.Integer), sa.column('body', sa.Text),
                  sa.column('headers', sa.JSON))


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('links', sa.JSON(), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('invitation_nonce', sa.String(length=32), nullable=True))

    bind = op.get_bind()
    for (user_id,) in bind.execute(sa.select(users.c.id)).all():
        bind.execute(users.update().where(users.c.id == user_id).values(link_key=secrets.token_urlsafe(16)))
    for message_id, body, headers in bind.execute(sa.select(outbox.c.id, outbox.c.body, outbox.c.headers)).all():
        new_body = TOKEN_LINK.sub(REMOVED, body or "")
        new_headers = {name: TOKEN_LINK.sub(REMOVED, value) for name, value in (headers or {}).items()}
        if new_body != body or new_headers != (headers or {}):
            bind.execute(outbox.update().where(outbox.c.id == message_id).values(body=new_body, headers=new_headers))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('link_key', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_link_key'), ['link_key'])


def downgrade():
    # The removed tokens do not come back; invitations sent before the upgrade are sent anew.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_link_key'), type_='unique')
        batch_op.drop_column('invitation_nonce')
        batch_op.drop_column('link_key')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('links')
