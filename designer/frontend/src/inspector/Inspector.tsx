export function Inspector() {
  return <div className="sd-inspector">Select a state</div>;
}
