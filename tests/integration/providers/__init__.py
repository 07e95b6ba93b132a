"""Provider adapters against real local HTTP servers (pytest-httpserver), never a mocked client."""
