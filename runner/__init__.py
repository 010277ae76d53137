"""环界 RingWorld batch runner: generative-agent towns as headless, resumable jobs."""

__version__ = "0.1.0"
