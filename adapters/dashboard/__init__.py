"""The web dashboard served at ``/``: server-rendered pages that read through the use cases."""
