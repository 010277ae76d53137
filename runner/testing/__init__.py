"""Test and benchmark tools that ship with RingWorld: the loopback OpenAI-compatible server."""
