"""The coder's worklist and home: what waits for coding, who has it, what comes next."""
