"""Photos on ideas, feedback, events and meeting places: checked, stripped of metadata, stored, served."""
