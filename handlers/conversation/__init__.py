"""The conversation core: the turn engine, the router, the flow interface and its registry,
drafts, the conversation shown back, and details offered back to returning people."""
