-- Read many Markdown texts in one pandoc process: stdin is a JSON array of strings,
-- stdout a JSON array whose items are pandoc JSON documents (or {"error": message}).
local texts = pandoc.json.decode(io.read('a'), false)
local out = {}
for i, text in ipairs(texts) do
  local ok, doc = pcall(pandoc.read, text, 'commonmark_x+sourcepos-smart')
  if ok then
    out[i] = pandoc.write(doc, 'json')
  else
    out[i] = pandoc.json.encode({ error = tostring(doc) })
  end
end
io.write('[' .. table.concat(out, ',') .. ']')
