"""The pages that belong to no domain: the home page, the pages about the service, and the health check."""
