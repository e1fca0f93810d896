"""`make bench`: timings of the product's heavy operations on a synthetic city."""
