"""One cog per feature: /factcheck and the context menu, auto-scan,
/sources, and /factbot help."""
