"""What runs in a student's process, and nothing else of the package does: the fork server
and its limits (worker), the submission loaded and called (session), confinement (confine),
trusted functions passed to student code (callables).  NumPy and the standard library only."""
