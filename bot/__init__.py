"""The factbot application: command line, configuration and Discord bot."""
