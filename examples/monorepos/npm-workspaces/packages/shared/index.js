exports.items = () => ["tea", "coffee", "cocoa"];
