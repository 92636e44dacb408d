// The @nlpjs language packages ship no types; this is the part the matcher uses: their Snowball
// stemmers (CommonJS; imported as a default export under ESM).
interface NlpjsStemmer {
  stemWord(word: string): string;
}
declare module '@nlpjs/lang-fi' {
  const pkg: { StemmerFi: new () => NlpjsStemmer };
  export default pkg;
}
declare module '@nlpjs/lang-sv' {
  const pkg: { StemmerSv: new () => NlpjsStemmer };
  export default pkg;
}
declare module '@nlpjs/lang-en-min' {
  const pkg: { StemmerEn: new () => NlpjsStemmer };
  export default pkg;
}
