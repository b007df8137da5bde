# Sourced by the runners that compare with ZEN: installs ZEN's Node binding (@gorules/zen-engine
# from npm) under build/bench/zen-node once, and sets node_dir and zen_version. Run from the
# repository root.
node_dir=build/bench/zen-node
if [[ ! -d $node_dir/node_modules/@gorules/zen-engine ]]; then
  mkdir -p "$node_dir"
  npm install --prefix "$node_dir" --no-audit --no-fund --silent @gorules/zen-engine@0.54.0
fi
zen_version=$(node -p "require('./$node_dir/node_modules/@gorules/zen-engine/package.json').version")
