/**
 * State a page keeps out of `data` (what the WXML doesn't render: loaded scopes, request ids, in-flight flags),
 * one object per page instance, made on first use and dropped with the page.
 */
export function pageState<T>(init: () => T): (page: object) => T {
  const states = new WeakMap<object, T>();
  return (page) => {
    let state = states.get(page);
    if (state === undefined) {
      state = init();
      states.set(page, state);
    }
    return state;
  };
}
