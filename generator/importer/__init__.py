"""`handbook import`: turn an existing regulation (text, Word, Markdown) into our YAML.

reading → cleaning → splitting into regulations → structure parsing → linking → YAML.
"""
