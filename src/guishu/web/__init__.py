"""Pages: base templates, static files, the minimal screens; zh-hans and en."""
