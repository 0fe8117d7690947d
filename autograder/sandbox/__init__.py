"""The trust boundary, as a folder.  The grader's side: the warm worker and the isolation
levels (host), one child's replies read against deadlines (channel), control groups (cgroups).
Both sides: every message (protocol).  The student's side: ``child/``, the only code copied
into a student's process."""
