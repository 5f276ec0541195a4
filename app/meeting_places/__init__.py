"""Meeting places (sosiale møteplasser) in each district: where residents meet and events happen."""
