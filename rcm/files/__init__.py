"""Files that cross the boundary (X12 in and out, reports, cards): kept, checksummed, linked."""
