//! The building blocks of typed views: [`View`], [`Seq`] and [`MapOf`].
//!
//! A typed view is a `Copy` wrapper around a [`NodeRef`]: it never owns data and never fails to
//! build. Accessors return `None` when a field is absent or has the wrong shape (the structural
//! checks report that), so semantic checks can walk half-broken documents without panicking and
//! still point at exact spans.

use std::marker::PhantomData;

use crate::parse::{Entry, NodeRef};
use crate::source::Span;

/// A typed view over a node.
pub trait View<'a>: Copy {
    /// Wraps a node. Cheap; does not check the node's shape.
    fn wrap(node: NodeRef<'a>) -> Self;
    /// The node behind the view.
    fn node(&self) -> NodeRef<'a>;

    fn span(&self) -> Span {
        self.node().span()
    }

    fn pointer(&self) -> String {
        self.node().pointer()
    }
}

impl<'a> View<'a> for NodeRef<'a> {
    fn wrap(node: NodeRef<'a>) -> Self {
        node
    }
    fn node(&self) -> NodeRef<'a> {
        *self
    }
}

/// Returns the value of `key` when `node` is a mapping and the key is present.
pub fn field<'a, T: View<'a>>(node: NodeRef<'a>, key: &str) -> Option<T> {
    node.get(key).map(T::wrap)
}

/// Returns the value of `key` as a string when it is one.
pub fn str_field<'a>(node: NodeRef<'a>, key: &str) -> Option<&'a str> {
    node.get(key).and_then(|n| n.as_str())
}

/// A sequence whose items are viewed as `T`.
#[derive(Clone, Copy)]
pub struct Seq<'a, T> {
    node: NodeRef<'a>,
    _item: PhantomData<T>,
}

impl<'a, T: View<'a>> View<'a> for Seq<'a, T> {
    fn wrap(node: NodeRef<'a>) -> Self {
        Seq {
            node,
            _item: PhantomData,
        }
    }
    fn node(&self) -> NodeRef<'a> {
        self.node
    }
}

impl<'a, T: View<'a> + 'a> Seq<'a, T> {
    /// Items in order; empty when the node is not a sequence.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = T> + 'a {
        self.node.items().map(T::wrap)
    }

    pub fn len(&self) -> usize {
        self.node.items().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, index: usize) -> Option<T> {
        self.node.items().nth(index).map(T::wrap)
    }
}

/// A mapping with free-form keys whose values are viewed as `T` (e.g. `hooks`, labels).
#[derive(Clone, Copy)]
pub struct MapOf<'a, T> {
    node: NodeRef<'a>,
    _value: PhantomData<T>,
}

impl<'a, T: View<'a>> View<'a> for MapOf<'a, T> {
    fn wrap(node: NodeRef<'a>) -> Self {
        MapOf {
            node,
            _value: PhantomData,
        }
    }
    fn node(&self) -> NodeRef<'a> {
        self.node
    }
}

impl<'a, T: View<'a> + 'a> MapOf<'a, T> {
    /// Entries in source order; empty when the node is not a mapping.
    pub fn iter(&self) -> impl Iterator<Item = (&'a Entry, T)> + 'a {
        self.node.entries().map(|(e, n)| (e, T::wrap(n)))
    }

    pub fn get(&self, key: &str) -> Option<T> {
        self.node.get(key).map(T::wrap)
    }
}
