"""Follow-ups (跟进记录), orders (成交) and collections (回款)."""
