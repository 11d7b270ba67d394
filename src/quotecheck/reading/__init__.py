"""Reading an article: decoding its bytes, its HTML and metadata, finding its quotations and who said them."""
