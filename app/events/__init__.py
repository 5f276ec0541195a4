"""Events of volunteer organisations: listing, registration with a waitlist, calendar files."""
