"""Pure X12 5010 library: bytes <-> dataclasses. No Django import, ever."""
