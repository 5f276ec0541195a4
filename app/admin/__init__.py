"""Administration in the browser (``/admin/``): people and roles, districts and effort areas,
meeting places and organisations, settings and the mail outbox. Admins only; every change is
written to the audit log by the service that makes it."""
