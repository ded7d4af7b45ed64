"""Users, teams (a tree with managers) and roles."""
