"""The notification adapters' policy: which webhook targets the deployment accepts and sends to."""
