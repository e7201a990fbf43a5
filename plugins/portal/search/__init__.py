"""Site search: the Pagefind index built over the finished site in slices
(slices.py: which pages in which slice; index.py: one Pagefind run per
changed slice), and the đ-folded words that let "dakrong" find "Đakrông"."""
