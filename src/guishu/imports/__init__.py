"""Importing customers, contacts and activities from the spreadsheets a team arrives with."""
