"""Holdings, transfer, the deactivation guard and the orphans report (DESIGN.md)."""
