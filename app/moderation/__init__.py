"""Moderation: the triage queue, actions on one item, routing suggestions, audit log."""
