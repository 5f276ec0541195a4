"""Demo content for trying Medvirk and for measuring it at scale."""
