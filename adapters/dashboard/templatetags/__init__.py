"""Template filters of the dashboard: presentation only, nothing that reads storage."""
