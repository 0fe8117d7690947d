"""The arithmetic of judging, on the grader's side: comparing with a tolerance (compare),
naming the mistake behind a wrong result (diagnose), numerical derivatives (gradcheck)."""
