"""What every domain shares: database base, permissions, mail, i18n, errors, security."""
