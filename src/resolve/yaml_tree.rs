//! Reading a YAML document's tree (`yaml-rust2`'s event parser): maps, lists
//! and text with the line each value starts on, aliases and `<<` merges
//! resolved — within a budget of nodes, so that a document whose aliases
//! expand past it (a "billion laughs") is refused rather than built.

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// The first document of `text`, or why it is not read.
pub(crate) fn parse(text: &str, max_nodes: usize) -> Result<Node, String> {
    let mut builder = Builder {
        budget: max_nodes,
        ..Builder::default()
    };
    Parser::new_from_str(text)
        .load(&mut builder, false)
        .map_err(|e| format!("not YAML: {e}"))?;
    if builder.over_budget {
        return Err(format!("its aliases expand past {max_nodes} nodes; not read"));
    }
    Ok(builder.documents.into_iter().next().unwrap_or(Node::Null))
}

/// A YAML node, with the line it starts on.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(String, usize),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
    Null,
}

impl Node {
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub(crate) fn text(&self) -> Option<&str> {
        match self {
            Node::Text(text, _) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn line(&self) -> usize {
        match self {
            Node::Text(_, line) => *line,
            _ => 0,
        }
    }
}

/// Builds nodes from the parser's events, resolving aliases and `<<`
/// merges, within a budget of nodes.
#[derive(Default)]
struct Builder {
    budget: usize,
    stack: Vec<(Node, Option<String>, usize)>,
    anchors: BTreeMap<usize, Node>,
    documents: Vec<Node>,
    nodes: usize,
    over_budget: bool,
}

impl Builder {
    /// Adds a node that counts `weight` against the budget (an alias counts
    /// as all it stands for).
    fn add(&mut self, node: Node, anchor: usize, weight: usize) {
        self.nodes += weight;
        if self.nodes > self.budget {
            self.over_budget = true;
            return;
        }
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.documents.push(node),
            Some((Node::List(items), _, _)) => items.push(node),
            Some((Node::Map(entries), key, _)) => match key.take() {
                None => *key = Some(node.text().unwrap_or_default().to_string()),
                Some(k) if k == "<<" => {
                    let merged = match node {
                        Node::List(list) => list,
                        other => vec![other],
                    };
                    for map in merged {
                        if let Node::Map(inner) = map {
                            for (k, v) in inner {
                                if !entries.iter().any(|(e, _)| *e == k) {
                                    entries.insert(0, (k, v));
                                }
                            }
                        }
                    }
                }
                Some(k) => entries.push((k, node)),
            },
            Some(_) => {}
        }
    }
}

fn count(node: &Node) -> usize {
    match node {
        Node::List(items) => 1 + items.iter().map(count).sum::<usize>(),
        Node::Map(entries) => 1 + entries.iter().map(|(_, v)| count(v)).sum::<usize>(),
        _ => 1,
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.over_budget {
            return;
        }
        match event {
            Event::Scalar(text, style, anchor, _) => {
                let plain = style == yaml_rust2::scanner::TScalarStyle::Plain;
                let node = if plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
                    Node::Null
                } else {
                    Node::Text(text, mark.line())
                };
                self.add(node, anchor, 1);
            }
            Event::SequenceStart(anchor, _) => self.stack.push((Node::List(Vec::new()), None, anchor)),
            Event::MappingStart(anchor, _) => self.stack.push((Node::Map(Vec::new()), None, anchor)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, _, anchor)) = self.stack.pop() {
                    self.add(node, anchor, 1);
                }
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node::Null);
                let weight = count(&node);
                self.add(node, 0, weight);
            }
            _ => {}
        }
    }
}
