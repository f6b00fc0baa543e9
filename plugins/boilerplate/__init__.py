"""The learned boilerplate classifier: labels, features, model, training and its plugins.

A page is a sequence of blocks (lines of scraped text, DOM blocks of an HTML page). Each
block gets a vector of features that carry across sites and languages (:mod:`.features`),
a tree ensemble turns them into a probability that the block is main content and a second
stage smooths those probabilities over the block's neighbours (:mod:`.model`). Training
(:mod:`.train`) labels blocks by aligning them with a page's known main content
(:mod:`.labels`), fits the ensembles with scikit-learn (the ``train`` extra) and writes
them as a JSON file that ships with the package; inference needs numpy only.
"""
