"""Grading: submissions found (submissions), answer keys planned (keys, reference), calls
prepared once per part (calls), each submission judged in its sandboxed process (grader)
into results (results), and every result journalled so that a run resumes (journal)."""
