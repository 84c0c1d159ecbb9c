"""The site's editorial engine, in four stages that each stand on their own:

1. load (`load.py`): source/ becomes the validated model (`model.py`);
2. generate (`generate.py`): the model becomes a complete docs tree: pages, item and source
   pages, cards (`cards.py`), the feed (`feed.py`) and the data files (`published.py`);
3. render (`render.py`): an engine (MkDocs, ProperDocs or Zensical) turns the tree into HTML;
4. finish (`finish.py`): a pass over the built HTML (CSP, permalink names, outside links).

No module imports MkDocs; hooks/editorial.py adapts these stages to MkDocs' events.
"""
