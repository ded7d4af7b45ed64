"""Collisions (撞单), and later disputes, collaboration and credit splits."""
