"""Guishu (归属): decides, explains and records which sales rep may work which customer."""
