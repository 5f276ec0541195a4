"""The organiser's pages: their events, the participant lists, attendance, export and messages."""
