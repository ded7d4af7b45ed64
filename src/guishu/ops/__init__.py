"""Operations: serving the app with its task worker, and (later) backups and health checks."""
