"""Ownership terms, the append-only ownership events, and the services that change them."""
