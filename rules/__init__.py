"""The shipped rule files and vocabularies; a package only so that wheels carry them."""
