"""Site search: the Pagefind index built over the finished site, and the
đ-folded words that let "dakrong" find "Đakrông"."""
